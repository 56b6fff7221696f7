"""JSON Schemas of a rule file and of the ruleset header file (``_ruleset.yaml``)."""

from __future__ import annotations

_TEXT = {
    "type": "object",
    "required": ["vi", "en"],
    "properties": {"vi": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}

_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}

# The registry's agency levels (core.registry.LEVELS): a basis may bind only some of them.
LEVELS = ["ministry", "province", "department", "commune", "other"]

LEGAL_BASIS = {
    "type": "object",
    "required": ["instrument", "article", "in_force"],
    "properties": {
        # A short key the rule's criteria refer to; derived from the instrument and article when absent
        # (rules.basis_key: "13-2018-d11-k1", "01-2026-d17-k1-u").
        "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
        "instrument": {"type": "string", "minLength": 3},
        "article": {"type": "string", "minLength": 1},
        "clause": {"type": ["string", "null"]},
        "point": {"type": ["string", "null"]},
        "in_force": {
            "type": "object",
            "required": ["from"],
            "properties": {"from": {**_DATE, "type": "string"}, "to": _DATE},
            "additionalProperties": False,
        },
        "provisional": {"type": "boolean"},
        # From this date the basis applies only where it does not conflict with a newer law
        # (Decree 13/2018 after 01/9/2026, Luật Ban hành VBQPPL 2025 Điều 57 k2).
        "residual_from": _DATE,
        # The agency levels the provision binds (absent: every level), e.g. Decree 224/2026 Điều 9 k1 b
        # binds ministries and provincial departments, Điều 9 k1 c provinces and communes.
        "levels": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": LEVELS}},
        # What the provision obliges the agency to do, in the project's words (the rules reference).
        "duty": _TEXT,
        "text": _TEXT,
        "note": _TEXT,
        "url": {"type": "string"},
    },
    "additionalProperties": False,
}

RULE = {
    "type": "object",
    "required": ["id", "class", "covers", "title", "failure_title", "description", "legal_basis", "check"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
        "class": {"enum": ["essential", "mandatory", "recommended", "manual"]},
        "mode": {"enum": ["auto", "partly", "manual"]},
        "how": _TEXT,
        # Gaps found while the audit date lies in [from, to] are reported as "transition", weighing 0.
        "transition": {
            "type": "object",
            "required": ["from", "to", "basis"],
            "properties": {"from": {**_DATE, "type": "string"}, "to": {**_DATE, "type": "string"}, "basis": _TEXT},
            "additionalProperties": False,
        },
        "covers": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": r"^TCTT-\d{2}$"}},
        # What the check tests, criterion by criterion, and the bases that require each one. A criterion
        # whose bases have all lapsed on the audit date (or do not bind the agency's level) is not applied.
        "criteria": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["bases", "vi", "en"],
                "properties": {
                    "bases": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "vi": {"type": "string", "minLength": 1},
                    "en": {"type": "string", "minLength": 1},
                },
                "additionalProperties": False,
            },
        },
        # When no criterion is left on the audit date: the finding's status and the inspector's guidance.
        "when_no_criteria": {
            "type": "object",
            "required": ["status", "guidance"],
            "properties": {"status": {"enum": ["not_applicable", "manual"]}, "guidance": _TEXT},
            "additionalProperties": False,
        },
        # The class (so the weight) from a date on, where the law changed the weight of the duty.
        "class_from": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "class"],
                "properties": {"from": {**_DATE, "type": "string"},
                               "class": {"enum": ["essential", "mandatory", "recommended", "manual"]}},
                "additionalProperties": False,
            },
        },
        # What the check cannot see or decide, and answers to legal reviews: shown in the rules reference.
        "limits": _TEXT,
        "title": _TEXT,
        "failure_title": _TEXT,
        "description": _TEXT,
        "legal_basis": {"type": "array", "minItems": 1, "items": LEGAL_BASIS},
        "check": {
            "type": "object",
            "required": ["auditor"],
            "properties": {
                "auditor": {"type": "string", "pattern": r"^[a-z_]+$"},
                "params": {"type": "object"},
            },
            "additionalProperties": False,
        },
        "enabled": {"type": "boolean"},
        "weight": {"type": "number", "minimum": 0},
    },
    "additionalProperties": False,
}

RULESET = {
    "type": "object",
    "required": ["id", "version", "title", "classes", "status_scores", "bands"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z0-9-]+$"},
        "version": {"type": "string"},
        "title": _TEXT,
        "classes": {
            "type": "object",
            "required": ["essential", "mandatory", "recommended"],
            "additionalProperties": {"type": "number", "minimum": 0},
        },
        "order": {"type": "array", "items": {"type": "string"}},
        "regimes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "from", "title"],
                "properties": {
                    "id": {"type": "string"},
                    "from": {**_DATE, "type": "string"},
                    "to": _DATE,
                    "title": _TEXT,
                    "provisional": {"type": "boolean"},
                },
                "additionalProperties": False,
            },
        },
        "status_scores": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        "bands": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "min_score", "label"],
                "properties": {
                    "id": {"type": "string"},
                    "min_score": {"type": "number"},
                    "requires_all_essential": {"type": "boolean"},
                    "label": _TEXT,
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

# A province's overlay: change weights or classes, disable rules, tune params, add its own rules.
OVERLAY = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z0-9-]+$"},
        "title": _TEXT,
        "rules": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "enabled": {"type": "boolean"},
                    "weight": {"type": "number", "minimum": 0},
                    "class": RULE["properties"]["class"],
                    "params": {"type": "object"},
                },
                "additionalProperties": False,
                "minProperties": 1,
            },
        },
        "add": {"type": "array", "items": RULE},
    },
    "required": ["id"],
    "additionalProperties": False,
}
