"""A Rasa tokenizer on Kiwi, so the NLU model and BM25 see exactly the same Korean morphemes.

Modelled on Rasa's JiebaTokenizer: registered with the default recipe, Rasa and Kiwi imported at
module level only where Rasa itself needs them (Kiwi is loaded lazily by ``nlu.korean``).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

# Rasa's key for a token's part of speech; LexicalSyntacticFeaturizer's "pos" features read it.
POS_TAG_KEY = "pos"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KiwiTokenizer(Tokenizer):
    """Korean morphemes from kiwipiepy with repaired spans (see ``nlu.korean.tokens``).

    Each Rasa token is the surface text of one morpheme (so entity offsets line up with the
    message), its lemma the dictionary form (했 → 하다), and its ``pos`` the Kiwi tag.
    """

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["ko"]

    @staticmethod
    def required_packages() -> list[str]:
        return ["kiwipiepy"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Intent names are never split into tokens: our intents are single concepts.
            "intent_tokenization_flag": False,
            # Symbol an intent name would be split on (unused while the flag is off).
            "intent_split_symbol": "_",
            # No extra regex split: Kiwi already separates Hangul, Latin, digits and symbols.
            "token_pattern": None,
            # Response-selector prefixes are not split either.
            "prefix_separator_symbol": None,
        }

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        # Imported here like Jieba in Rasa: the Kiwi model loads on first use, not at graph build.
        from nlu import korean

        text = message.get(attribute)
        tokens = [
            Token(t.text, t.start, t.end, data={POS_TAG_KEY: t.tag}, lemma=t.lemma)
            for t in korean.tokens(text)
        ]
        return self._apply_token_pattern(tokens)
