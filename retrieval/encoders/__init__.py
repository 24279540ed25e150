from retrieval.encoders.base import Encoder
from retrieval.encoders.factory import make_encoder

__all__ = ["Encoder", "make_encoder"]
