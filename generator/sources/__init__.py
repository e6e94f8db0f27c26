"""Sources stage: what the build reads besides the validated tree itself, read once before anything
is written. ``load.py`` reads the published view into typed records (``Portal``); ``history.py``
walks the data's git history once (``History``: 首次公开, 按期公开, the data's date and commit).
``generator.build.check`` gathers them, with the validation, the published-records check and the
rules, for ``gongkai validate``, ``gongkai check`` and ``gongkai build`` alike."""
