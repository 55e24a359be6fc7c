"""The Textual face of tuibrowser: search pane, article reader and entity sidebar."""
