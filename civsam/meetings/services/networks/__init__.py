"""Writes for networks: the network itself (create, edit, close), its memberships (requested by an
organisation or offered by the coordinator, decided, ended) and the members' representatives.

Every change of a membership's status goes through memberships.membership_status_change and
NetworkMembership.WORKFLOW; a network's status changes only in network.network_close, along
Network.WORKFLOW. Each write checks the actor's permission when given one and is in the audit log."""

from .memberships import (
    membership_answer,
    membership_decide,
    membership_end,
    membership_invite,
    membership_request,
    membership_status_change,
)
from .network import NetworkChanges, network_close, network_create, network_update
from .representatives import representative_add, representative_end

__all__ = [
    "NetworkChanges",
    "membership_answer",
    "membership_decide",
    "membership_end",
    "membership_invite",
    "membership_request",
    "membership_status_change",
    "network_close",
    "network_create",
    "network_update",
    "representative_add",
    "representative_end",
]
