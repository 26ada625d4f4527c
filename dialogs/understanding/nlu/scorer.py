"""The trained intent model as plain numbers (vocabulary, idf, weights), scored with numpy: the
running assistant never needs scikit-learn once the numbers are saved."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

NGRAMS = (2, 5)  # character n-grams inside word boundaries, as the vectorizer was trained


def char_wb_ngrams(text: str) -> list[str]:
    """scikit-learn's "char_wb" analyzer: each word padded with spaces, n-grams of 2-5."""
    grams = []
    low, high = NGRAMS
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a short word counts once
                break
    return grams


@dataclass(frozen=True)
class LinearScorer:
    """TF-IDF (sublinear tf, l2) into one-vs-rest logistic scores, normalized as probabilities."""

    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float64]
    coef: npt.NDArray[np.float64]  # classes x features
    intercept: npt.NDArray[np.float64]
    classes: tuple[str, ...]

    def probabilities(self, prepared: str) -> npt.NDArray[np.float64]:
        """The probability of each class for an already prepared (folded) text."""
        counts = Counter(map(self.vocabulary.get, char_wb_ngrams(prepared)))  # counted in C
        counts.pop(None, None)  # n-grams the model never saw
        decision = self.intercept.copy()
        if counts:
            indices = np.fromiter(counts, dtype=np.int64)
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[
                indices
            ]
            weights /= np.linalg.norm(weights)
            decision += self.coef[:, indices] @ weights
        probabilities = 1.0 / (1.0 + np.exp(-decision))
        total = probabilities.sum()
        return probabilities / total if total else np.full(len(self.classes), 1 / len(self.classes))

    def save(self, path: Path, fingerprint: str) -> None:
        """Write the numbers, with the fingerprint of the examples they were trained on."""
        meta = {"fingerprint": fingerprint, "classes": list(self.classes)}
        grams = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        # Written aside, then moved into place: another process starting at the same moment
        # reads the old file or the new one, never half of one.
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as file:
            np.savez_compressed(
                file,
                meta=np.array(json.dumps(meta)),
                grams=np.array(grams),
                idf=self.idf,
                coef=self.coef,
                intercept=self.intercept,
            )
        os.replace(file.name, path)

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> LinearScorer | None:
        """The saved numbers, if they were trained on these examples."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                meta = json.loads(str(saved["meta"]))
                if meta["fingerprint"] != fingerprint:
                    return None
                grams = [str(gram) for gram in saved["grams"]]
                return cls(
                    {gram: index for index, gram in enumerate(grams)},
                    saved["idf"],
                    saved["coef"],
                    saved["intercept"],
                    tuple(meta["classes"]),
                )
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
            return None
