"""The bot's languages: detecting the visitor's, and the bot's own words in each."""
