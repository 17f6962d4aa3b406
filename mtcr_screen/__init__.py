"""mtcr-screen."""
