"""Small pieces shared by every domain: time, text checks, model helpers."""
