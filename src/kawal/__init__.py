"""kawal: guard a Pilkada together (KPU and Ormas): voter-list audit, field checks, turnout, the count."""

__version__ = "0.1.0"
