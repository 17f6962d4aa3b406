"""Commands beyond the core ones, one module each; registered in mtcr_screen.cli.

Each module defines one click command or group and keeps heavy imports inside the
command function, so start-up stays fast.
"""
