"""The domain core: corpus, cleaning, index and search. Never imports Textual or Rich."""
