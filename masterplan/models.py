"""E-government master plans, their programmes and yearly targets."""
