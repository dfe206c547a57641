# The one way every page, message and report writes a date: "1 Desember 2026", with the time
# "1 Desember 2026 14.05" (hours and minutes joined by a full stop, as Indonesian writes them).
# Templates name these formats ("DATE_FORMAT", …) rather than spelling a pattern, so a page
# cannot drift from the rest; exports write ISO 8601 instead.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H.i"
TIME_FORMAT = "H.i"
# For narrow table columns: "1 Des 2026".
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H.i"
