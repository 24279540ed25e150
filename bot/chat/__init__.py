"""Visitors' conversations: the chat data model, rendering of FAQ results, and the chat service."""
