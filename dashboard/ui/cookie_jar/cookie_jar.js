// Writes the cookies the server asks for (dashboard/ui/cookies.py); nothing else.
// Served by Streamlit from this folder (the component's asset_dir in
// pyproject.toml), so a Content-Security-Policy of script-src 'self' allows it.
export default function (component) {
  const { data } = component;
  const name = /^[A-Za-z0-9_]{1,64}$/;
  const value = /^[A-Za-z0-9_.\-]{1,200}$/;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  for (const cookie of (data && data.cookies) || []) {
    const age = Number(cookie.max_age);
    if (!name.test(cookie.name) || !value.test(cookie.value) || !(age > 0)) {
      continue;
    }
    document.cookie = cookie.name + "=" + cookie.value + "; Path=/; Max-Age=" +
      Math.floor(age) + "; SameSite=Strict" + secure;
  }
}
