"""``python -m rasa_server run …`` is ``rasa run …`` with faqbot's fixes applied first, tied to the
app that started it (rasa_server/lifecycle.py)."""

import sys

from rasa_server.lifecycle import die_with_parent

if __name__ == "__main__":
    # Before Rasa's imports (seconds): an app killed meanwhile takes this process with it.
    die_with_parent()

    from rasa.__main__ import main

    from rasa_server import tune
    from rasa_server.lifecycle import answer_instance

    answer_instance()
    tune()
    sys.exit(main())
