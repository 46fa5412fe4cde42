"""Calling an explainer / judge LLM through an OpenAI-compatible chat-completions endpoint."""

from .client import ChatClient, ChatResponse, LLMError
from .config import LLMConfig
from .usage import UsageMeter

__all__ = ["ChatClient", "ChatResponse", "LLMConfig", "LLMError", "UsageMeter"]
