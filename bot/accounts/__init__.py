"""Staff accounts: users, roles, password hashing."""
