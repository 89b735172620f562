"""Free-text answers about a discussion topic, composed from fragments so phrasing varies."""

from __future__ import annotations

import random

from scheduling.demo.phrases import ASKS, CLOSINGS, CONTEXTS, OPENINGS, TOPICS, Topic

TOPIC_BY_KEY = {t.key: t for t in TOPICS}
ASIDE_SHARE = 0.1  # answers that also mention a second topic in passing


def pick_topic(rng: random.Random, weights: dict[str, float]) -> Topic:
    """A topic drawn by an event's weights."""
    key = rng.choices(list(weights), weights=list(weights.values()))[0]
    return TOPIC_BY_KEY[key]


def compose(rng: random.Random, topic: Topic) -> str:
    """One attendee's answer about `topic`: two topical pieces, perhaps framed by small talk."""
    first, second = rng.sample(topic.sentences, 2)
    shape = rng.random()
    if shape < 0.15:
        body = [rng.choice(topic.shorts), f"({rng.choice(topic.subjects)})"]
    elif shape < 0.5:
        body = [_ask(rng, topic), first]
    elif shape < 0.8:
        body = [first, second]
    else:
        body = [first, _ask(rng, topic)]
    parts = [rng.choice(OPENINGS)] if rng.random() < 0.5 else []
    if rng.random() < 0.12:
        parts.append(rng.choice(CONTEXTS))
    parts += body
    if rng.random() < ASIDE_SHARE:
        other = rng.choice([t for t in TOPICS if t is not topic])
        parts.append(f"Also {rng.choice(other.subjects)}, if there's time.")
    if rng.random() < 0.5:
        parts.append(rng.choice(CLOSINGS))
    return roughen(rng, " ".join(p for p in parts if p))


def _ask(rng: random.Random, topic: Topic) -> str:
    """A generic question wrapped around one of the topic's subjects."""
    text = rng.choice(ASKS).format(subject=rng.choice(topic.subjects))
    return text[0].upper() + text[1:]


def roughen(rng: random.Random, text: str) -> str:
    """Make typing imperfect now and then: a typo, all lower case, no final punctuation."""
    if rng.random() < 0.2:
        text = _typo(rng, text)
    if rng.random() < 0.12:
        text = text.lower()
    if rng.random() < 0.1:
        text = text.rstrip(".!?")
    return text


def _typo(rng: random.Random, text: str) -> str:
    """Swap, drop or double a letter inside one longer word."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    k = rng.randrange(1, len(w) - 2)
    words[i] = rng.choice(
        (w[:k] + w[k + 1] + w[k] + w[k + 2 :], w[:k] + w[k + 1 :], w[:k] + w[k] + w[k:])
    )
    return " ".join(words)
