"""A corpus of hostile repositories, built by code at test time, and the proofs that
scanning them runs nothing, leaks nothing and crashes nowhere."""
