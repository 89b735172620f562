"""Messages to attendees and hosts: templates, times in the reader's zone, calendar files, mail."""
