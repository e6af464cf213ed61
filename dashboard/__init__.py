"""Teaching dashboard: tacrolimus in the treatment of nephrotic syndrome."""
