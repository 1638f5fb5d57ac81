import sys

from gilint.cli import main

sys.exit(main())
