import sys

from gcm.cli import main

sys.exit(main())
