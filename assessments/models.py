"""Assessment frameworks (data), assessments, answers and evidence."""
