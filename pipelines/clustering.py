"""Topic clustering of attendees' free-text questions: TF-IDF, LSA and k-means.

`topic_clusters(texts)` is a pure ML step: it returns the fitted model with its metrics.
Words are weighted by TF-IDF (words in more than half of the questions, such as greetings,
carry no topic), reduced to a 30-dimension latent semantic space, and grouped by k-means
for every k in a range; the k with the best silhouette (cosine, in TF-IDF space) wins.
To stay fast on large sets, k is chosen on a fixed sample of at most 4,000 questions and
the final model is fitted on all of them. Every seed is fixed, and the same texts in the
same order give the same clusters.

Clusters are labelled through the `Labeller` interface; `TopTermsLabeller` joins the top
terms, and a language-model labeller can replace it without touching the clustering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.metrics.pairwise import cosine_distances
from sklearn.preprocessing import normalize

SEED = 0
# Words of three letters or more, no numbers.
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"  # noqa: S105 (a regex, not a secret)
LSA_DIMENSIONS = 30
SELECTION_SAMPLE = 4000
MIN_QUESTIONS = 20
TOP_TERMS = 5
EXAMPLES = 3
RECENT_DAYS = 28
GAP_GROWTH = 0.25  # a cluster whose recent share is 25 % above its earlier share
GAP_MIN_RECENT = 5  # ... and that holds at least this many recent questions


@dataclass(frozen=True, slots=True)
class Cluster:
    """One topic: its number, label, top terms, representative questions and size."""

    cluster_no: int
    label: str
    top_terms: tuple[str, ...]
    examples: tuple[str, ...]
    size: int


class Labeller(Protocol):
    """Names a cluster from its top terms and representative questions."""

    def label(self, top_terms: Sequence[str], examples: Sequence[str]) -> str:
        """A short human-readable name for the cluster."""
        ...


class TopTermsLabeller:
    """The three strongest terms, e.g. "visa / embassy / interview"."""

    def label(self, top_terms: Sequence[str], examples: Sequence[str]) -> str:
        """Join the leading terms."""
        return " / ".join(top_terms[:3]) or "(no terms)"


@dataclass
class TopicModel:
    """A fitted clustering: the cluster of each text, the clusters and the metrics."""

    labels: np.ndarray
    clusters: list[Cluster]
    k: int
    silhouette: float
    silhouettes: dict[int, float] = field(default_factory=dict)
    vectorizer: TfidfVectorizer | None = None
    kmeans: KMeans | None = None

    @property
    def metrics(self) -> dict[str, float]:
        """The figures that justify the choice of k."""
        return {"k": float(self.k), "silhouette": self.silhouette}


def _vectorise(texts: Sequence[str]) -> tuple[TfidfVectorizer, sparse.csr_matrix]:
    vectorizer = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        token_pattern=TOKEN_PATTERN,
        min_df=3 if len(texts) >= 300 else 2,
        max_df=0.5,
    )
    return vectorizer, vectorizer.fit_transform(texts)


def _reduce(matrix: sparse.csr_matrix) -> np.ndarray:
    dims = min(LSA_DIMENSIONS, matrix.shape[1] - 1)
    if dims < 2:
        return normalize(matrix.toarray())
    return normalize(TruncatedSVD(dims, random_state=SEED).fit_transform(matrix))


def _choose_k(
    tfidf: sparse.csr_matrix, latent: np.ndarray, k_values: range
) -> tuple[int, dict[int, float], KMeans | None]:
    """The k with the best silhouette on the selection sample (ties: the smaller k)."""
    n = latent.shape[0]
    sample = np.arange(n)
    if n > SELECTION_SAMPLE:
        sample = np.sort(np.random.default_rng(SEED).choice(n, SELECTION_SAMPLE, replace=False))
    distances = cosine_distances(tfidf[sample]).astype(np.float32)
    np.fill_diagonal(distances, 0.0)
    scores: dict[int, float] = {}
    fits: dict[int, KMeans] = {}
    for k in k_values:
        fit = KMeans(k, n_init=10, random_state=SEED).fit(latent[sample])
        if len(set(fit.labels_)) < 2:
            continue
        scores[k] = float(silhouette_score(distances, fit.labels_, metric="precomputed"))
        fits[k] = fit
    best = max(scores, key=lambda k: (scores[k], -k))
    return best, scores, fits[best] if n <= SELECTION_SAMPLE else None


def _describe(
    texts: Sequence[str],
    tfidf: sparse.csr_matrix,
    latent: np.ndarray,
    labels: np.ndarray,
    terms: np.ndarray,
    labeller: Labeller,
) -> list[Cluster]:
    clusters = []
    for no in range(int(labels.max()) + 1):
        members = np.flatnonzero(labels == no)
        if members.size == 0:
            continue
        weights = np.asarray(tfidf[members].mean(axis=0)).ravel()
        top = tuple(str(terms[i]) for i in np.argsort(-weights, kind="stable")[:TOP_TERMS])
        centre = normalize(latent[members].mean(axis=0, keepdims=True))[0]
        closeness = latent[members] @ centre
        examples: list[str] = []
        for i in members[np.argsort(-closeness, kind="stable")]:
            if texts[i] not in examples:
                examples.append(texts[i])
            if len(examples) == EXAMPLES:
                break
        label = labeller.label(top, examples)
        clusters.append(Cluster(no, label, top, tuple(examples), int(members.size)))
    return clusters


def topic_clusters(
    texts: Sequence[str], max_k: int = 15, labeller: Labeller | None = None
) -> TopicModel | None:
    """Cluster `texts` by topic; None when there are too few to cluster."""
    if len(texts) < MIN_QUESTIONS:
        return None
    vectorizer, tfidf = _vectorise(texts)
    latent = _reduce(tfidf)
    k_values = range(2, max(3, min(max_k, len(texts) // 10) + 1))
    k, scores, fitted = _choose_k(tfidf, latent, k_values)
    kmeans = fitted or KMeans(k, n_init=10, random_state=SEED).fit(latent)
    labels = kmeans.labels_
    terms = vectorizer.get_feature_names_out()
    clusters = _describe(texts, tfidf, latent, labels, terms, labeller or TopTermsLabeller())
    return TopicModel(labels, clusters, k, scores[k], scores, vectorizer, kmeans)


@dataclass(frozen=True, slots=True)
class Growth:
    """How a cluster's share of questions moved: recent window against the time before."""

    recent: int
    earlier: int
    growth: float | None
    is_content_gap: bool


def cluster_growth(
    labels: Sequence[int], asked_at: Sequence[datetime], as_of: datetime
) -> dict[int, Growth]:
    """Per cluster: its share in the last RECENT_DAYS against its share before them.

    `growth` is recent share / earlier share - 1 (None without earlier questions); a cluster
    that grew by GAP_GROWTH or more with at least GAP_MIN_RECENT recent questions is a
    content gap: attendees ask about it more and more.
    """
    cutoff = as_of - timedelta(days=RECENT_DAYS)
    recent_total = sum(1 for t in asked_at if t >= cutoff)
    earlier_total = len(asked_at) - recent_total
    out = {}
    for no in sorted(set(labels)):
        recent = sum(1 for c, t in zip(labels, asked_at, strict=True) if c == no and t >= cutoff)
        earlier = sum(1 for c, t in zip(labels, asked_at, strict=True) if c == no and t < cutoff)
        growth = None
        if earlier and recent_total:
            growth = (recent / recent_total) / (earlier / earlier_total) - 1
        gap = growth is not None and growth >= GAP_GROWTH and recent >= GAP_MIN_RECENT
        out[int(no)] = Growth(recent, earlier, growth, gap)
    return out
