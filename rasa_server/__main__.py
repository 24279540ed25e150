"""``python -m rasa_server run …`` is ``rasa run …`` with faqbot's fixes applied first."""

import sys

from rasa.__main__ import main

from rasa_server import tune

if __name__ == "__main__":
    tune()
    sys.exit(main())
