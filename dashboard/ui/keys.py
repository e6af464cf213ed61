"""Widget keys, in one place. Bound keys also name URL query parameters."""

# Nephrotic syndrome page: pathophysiology chain.
NS_DRIVER = "ns_driver"
NS_PROTEINURIA = "ns_proteinuria"
NS_ALBUMIN = "ns_albumin"
# Nephrotic syndrome page: definitions and classify-a-patient exercise.
NS_DEFINITION_GROUP = "ns_definition_group"
CLASSIFY_POPULATION = "classify_population"
CLASSIFY_PROTEIN_UNIT = "classify_protein_unit"
CLASSIFY_PROTEIN_VALUE = "classify_protein_value"
CLASSIFY_DIPSTICK = "classify_dipstick"
CLASSIFY_ALBUMIN_MEASURED = "classify_albumin_measured"
CLASSIFY_ALBUMIN_VALUE = "classify_albumin_value"
CLASSIFY_ALBUMIN_UNIT = "classify_albumin_unit"
CLASSIFY_OEDEMA = "classify_oedema"
# The student's call before the verdict, and the entry it was made for.
CLASSIFY_PREDICTION = "classify_prediction"
CLASSIFY_PREDICTED_FOR = "classify_predicted_for"
# Mechanism page: step-through state (all bound to the URL).
MECH_LANE = "mech_lane"
MECH_STEP = "mech_step"
MECH_DRUG = "mech_drug"
MECH_PREV = "mech_prev"
MECH_NEXT = "mech_next"
# Quiz answers are keyed quiz_<question id>.
QUIZ_PREFIX = "quiz_"
# Efficacy page: filters (bound to the URL) and selections.
EFF_DISEASE = "eff_disease"
EFF_COMPARATOR = "eff_comparator"
EFF_DESIGNS = "eff_designs"
EFF_OUTCOME = "eff_outcome"
EFF_TIMEPOINT = "eff_timepoint"
EFF_RATIO_ROW = "eff_ratio_row"
EFF_BASELINE = "eff_baseline"
EFF_SOURCE_ROW = "eff_source_row"
# Monitoring page: trough simulator (bound to the URL) and the case.
PK_WEIGHT = "pk_weight"
PK_DOSE = "pk_dose"
PK_INTERVAL = "pk_interval"
PK_GENOTYPE = "pk_genotype"
PK_BAND = "pk_band"
PK_DAYS = "pk_days"
# Predict first: the drug whose change is revealed, the feedback on the
# prediction, and the flag set when Reveal had no number.
PK_REVEALED = "pk_revealed"
PK_PREDICTION_FEEDBACK = "pk_prediction_feedback"
PK_PREDICTION_MISSING = "pk_prediction_missing"
PK_DRUG = "pk_drug"
PK_START = "pk_start"
PK_VIEW = "pk_view"
CASE_PREFIX = "case_"
#: The expander that holds the case (built only while open).
CASE_OPEN = "mon_case_open"
# Quiz page and the simulator's predict-then-reveal.
QUIZ_PAGES = "quiz_pages"
QUIZ_CONFIDENCE_SUFFIX = "_sure"
PK_PREDICT = "pk_predict"
PK_GUESS = "pk_guess"
# Virtual patients page: the case (bound) and the position in it (the page
# reads and writes it, as the engine's encoded state).
VP_CASE = "vp"
VP_AT = "vp_at"
# Monitoring page: measured-levels mode (the first six bound to the URL).
TDM_MODE = "tdm_mode"
TDM_PATIENT = "tdm_patient"
TDM_LESSON = "tdm_lesson"
TDM_USED = "tdm_used"
TDM_TOLD = "tdm_told"
TDM_OCCASION = "tdm_occasion"
TDM_BAND = "tdm_band"
TDM_GUESS = "tdm_guess"
TDM_REVEALED = "tdm_revealed"
TDM_ENTERED = "tdm_entered"
TDM_FORM = "tdm_form"
# Presenter mode, on every page (bound to ?present=true).
PRESENT = "present"  # URL parameter
PRESENTER_SWITCH = "presenter_switch"  # the sidebar toggle
PRESENTER_ON = "presenter_on"  # session flag, kept across pages
CHART_FORMAT_CHOICE = "chart_format_choice"  # the sidebar control
CHART_FORMAT = "chart_format"  # session value, kept across pages
# Links with empty values (see dashboard.ui.url_state).
LINK_OPENED = "link_opened"  # session: the link as opened, kept for one rerun
LINK_SLOT = "link_slot"  # session: where "Link to this view" goes, per full run
LINK_RESET = "link_reset"  # session: required controls reset after an empty value
POLL_JOIN = "join"  # URL parameter: a student's join code
POLL_CODE = "poll"  # URL parameter: the poll the teacher runs
POLL_TEACHER = "teacher"  # URL parameter of old private links; taken out at once
POLL_MY_ANSWERS = "poll_my_answers"  # session: {code: choice index}
POLL_QUESTION = "poll_question"
POLL_START = "poll_start"
POLL_JOIN_INPUT = "poll_join_input"
POLL_JOIN_BUTTON = "poll_join_button"
POLL_CHOICE = "poll_choice"
POLL_REVEAL = "poll_reveal"
POLL_CLOSE = "poll_close"
POLL_TOKENS = "poll_tokens"  # session: {code: teacher token}, kept off the URL
POLL_BROWSER = "poll_browser"  # session: this browser's identity id (server-issued)
POLL_PENDING = "poll_pending"  # session: {code: (choice, sent at, label)} unsent
POLL_NOTICES = "poll_notices"  # session: {code: message} shown once on the next run
POLL_OPENED = "poll_opened"  # session: codes whose opening is already counted
POLL_THROTTLES = "poll_throttles"  # session: {kind: Throttle} of failed guesses
POLL_PIN_NEW = "poll_pin_new"  # the PIN chosen when starting a poll
POLL_PIN_INPUT = "poll_pin_input"  # the PIN typed to take control again
POLL_PIN_BUTTON = "poll_pin_button"
POLL_SEND = "poll_send"  # a student's "Send my answer"
POLL_FORM = "poll_form"  # session: (code, options) of the answer form last drawn
COOKIES_TO_WRITE = "cookies_to_write"  # session: {name: (value, max age s)}
COOKIE_JAR = "cookie_jar"  # the component that writes them (dashboard.ui.cookies)
# Presenter view: the page whose teacher notes are shown (bound to the URL).
PV_PAGE = "pv_page"
# Efficacy page: pooling sandbox (one fragment) and summary-of-findings tables.
POOL_FRAGMENT = "pool_sandbox"  # the sandbox's fragment, for st.rerun([...])
POOL_GROUP = "pool_group"  # the question pooled (a group of poolable rows)
POOL_OBSERVATIONAL = "pool_observational"  # switch: show observational rows
POOL_STUDY_PREFIX = "pool_study_"  # one checkbox per study (the keyboard way)
POOL_POOLED = "pool_pooled"  # session: the pooled row ids (the pool's state)
POOL_MEASURE = "pool_measure"  # bound to the URL
POOL_METHOD = "pool_method"  # bound to the URL
POOL_HKSJ = "pool_hksj"  # bound to the URL
POOL_FOREST = "pool_forest"  # the forest plot (a click leaves a study out)
POOL_RCTS_ONLY = "pool_rcts_only"
POOL_ALL_SHOWN = "pool_all_shown"
POOL_NOTICES = "pool_notices"  # session: what the opened link could not use
POOL_SOURCE_PREFIX = "pool_source_"  # buttons opening a row's source
POOL_IN = "pool_in"  # URL parameter: pooled row ids, comma-separated
POOL_OUT = "pool_out"  # URL parameter: shown rows left out, comma-separated
POOL_OBS = "pool_obs"  # URL parameter: "true" when observational rows are shown
SOF_FRAGMENT = "sof_tables"
SOF_COMPARISON = "sof_comparison"  # bound to the URL
SOF_OUTCOME_PREFIX = "sof_outcome_"  # the icon array's outcome, per comparison
SOF_BASELINE = "sof_baseline"  # the icon array's baseline: lower or higher
SOF_SOURCE_PREFIX = "sof_source_"  # buttons opening a row's source
# Class check: sessions
POLL_SESSION = "session"  # URL parameter: the class session the teacher runs
POLL_SURE = "poll_sure"  # a student's confidence in round 1 (Sure / Unsure)
POLL_SESSION_START = "poll_session_start"
POLL_ROUND_TWO = "poll_round_two"
POLL_NEXT = "poll_next"  # open the session's next waiting question
POLL_ADD_TOPIC = "poll_add_topic"
POLL_ADD_QUESTION = "poll_add_question"  # suffixed by the topic
POLL_ADD_OPEN = "poll_add_open"
POLL_ADD_QUEUE = "poll_add_queue"
POLL_CASE = "poll_case"  # which virtual patient a decision poll comes from
POLL_CASE_AT = "poll_case_at"  # the pasted address of the decision
POLL_CASE_OPEN = "poll_case_open"
POLL_CASE_QUEUE = "poll_case_queue"
POLL_OWN_STEM = "poll_own_stem"
POLL_OWN_OPTION = "poll_own_option"  # suffixed by 1 to 5
POLL_OWN_CORRECT = "poll_own_correct"
POLL_OWN_EXPLANATION = "poll_own_explanation"
POLL_OWN_SOURCE = "poll_own_source"
POLL_OWN_OPEN = "poll_own_open"
POLL_OWN_QUEUE = "poll_own_queue"
POLL_EXPORT_CSV = "poll_export_csv"
POLL_EXPORT_PDF = "poll_export_pdf"
