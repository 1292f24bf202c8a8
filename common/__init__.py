"""Small helpers every app uses: SQL bulk writes, text folding, admin building blocks. No models, no rules."""
