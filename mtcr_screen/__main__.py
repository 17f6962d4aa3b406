"""python -m mtcr_screen"""

from mtcr_screen.cli import main

if __name__ == "__main__":
    main()
