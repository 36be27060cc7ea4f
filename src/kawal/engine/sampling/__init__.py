"""Statistical voter-list audit (NDI's method): plan a sample, draw it verifiably, estimate error rates with
confidence intervals. No Django; the CLI (``kawal sample``) and the web app both call these functions."""
