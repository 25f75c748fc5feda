"""Open Referral HSDS 3.0 tabular data packages: export and validated, atomic import."""
