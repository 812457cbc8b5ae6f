"""The TypedDicts of the documents vmss passes between layers: the store's files and the ARM shapes in them.

They name the keys vmss itself reads and writes, so that mypy checks a key path
(`arm["properties"]["virtualMachineProfile"]`) where the code spells one. They describe what the store holds
and what the REST API returns (ARM form: `properties` nested); a part a user may fill freely (tags, extension
settings, anything `--set` can add) stays a `Document` (core.arm.documents). A TypedDict is a plain dict at
run time: modules import this one only under TYPE_CHECKING, so no command loads it (or typing) to run.
tests/core/test_documents.py checks that these types declare every key a real run writes.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

from vmss_cli.core.arm.documents import Document

# ---- a scale set, ARM form (Microsoft.Compute/virtualMachineScaleSets) ------------------------------

class Sku(TypedDict, total=False):
    name: str
    tier: str
    capacity: int

class ImageReference(TypedDict, total=False):
    """A marketplace image (publisher/offer/sku/version) or a gallery image id; `exactVersion` is
    what the platform resolved `latest` to (on an instance's disk)."""
    publisher: str
    offer: str
    sku: str
    version: str
    id: str
    exactVersion: str

class StorageProfile(TypedDict, total=False):
    imageReference: ImageReference
    osDisk: Document
    dataDisks: list[Document]

class Extension(TypedDict, total=False):
    """An extension of the model (`extensionProfile.extensions[]`); settings are the user's."""
    name: str
    properties: Document

class ExtensionProfile(TypedDict, total=False):
    extensions: list[Extension]

class VirtualMachineProfile(TypedDict, total=False):
    osProfile: Document
    storageProfile: StorageProfile
    networkProfile: Document
    extensionProfile: ExtensionProfile
    timeCreated: str

class RollingUpgradePolicy(TypedDict, total=False):
    maxBatchInstancePercent: int
    maxUnhealthyInstancePercent: int
    maxUnhealthyUpgradedInstancePercent: int
    pauseTimeBetweenBatches: str
    enableCrossZoneUpgrade: bool
    prioritizeUnhealthyInstances: bool
    rollbackFailedInstancesOnPolicyBreach: bool
    maxSurge: bool

class AutomaticOSUpgradePolicy(TypedDict, total=False):
    enableAutomaticOSUpgrade: bool
    disableAutomaticRollback: bool
    useRollingUpgradePolicy: bool
    osRollingUpgradeDeferral: bool

class UpgradePolicy(TypedDict, total=False):
    mode: str
    rollingUpgradePolicy: RollingUpgradePolicy
    automaticOSUpgradePolicy: AutomaticOSUpgradePolicy

class ScaleSetProperties(TypedDict, total=False):
    singlePlacementGroup: bool
    orchestrationMode: str
    upgradePolicy: UpgradePolicy
    virtualMachineProfile: VirtualMachineProfile
    provisioningState: str
    overprovision: bool
    doNotRunExtensionsOnOverprovisionedVMs: bool
    uniqueId: str
    platformFaultDomainCount: int
    timeCreated: str

class ScaleSet(TypedDict):
    """The ARM resource, as GET returns it (the store keeps `osProfile.customData` in it too)."""
    id: str
    name: str
    type: str
    location: str
    tags: NotRequired[dict[str, str]]
    sku: Sku
    zones: NotRequired[list[str]]
    properties: ScaleSetProperties

# ---- the scale set file (core.resources.scaleset) ------------------------------------------------

class OsDisk(TypedDict):
    """An instance's OS disk: the image it was built from and how many times it was replaced."""
    name: str
    id: str
    imageReference: ImageReference
    generation: int
    timeCreated: int

class Instance(TypedDict, total=False):
    """A VM of the set (core.resources.instances); times are world seconds."""
    instanceId: str
    name: str
    vmId: str
    computerName: str
    zone: str | None
    platformUpdateDomain: int
    platformFaultDomain: int
    osDisk: OsDisk
    previousOsDisk: OsDisk | None
    dataDisks: list[Document]
    powerState: str
    provisioningState: str
    extensions: list[Document]
    bootedAt: int
    healthyAt: int | None
    healthOverride: str | None
    healthOverrideUntil: str | int | None
    modelVersion: int
    upgrade: Document | None  # the rollout step the instance is in: {"op", "phase", "since", ...}

class Rollout(TypedDict, total=False):
    """One rolling upgrade as the engine keeps it (core.rollout.engine); history.py turns it into
    RollingUpgradeStatusInfo and UpgradeOperationHistoricalStatusInfo."""
    operationId: str
    kind: str  # "OSUpgrade" or "ModelUpgrade"
    startedBy: str
    policy: Document
    rollback: bool
    target: ImageReference
    targetInfo: Document
    status: str
    startTime: int
    endTime: int | None
    lastAction: str
    lastActionTime: int
    total: int
    pending: list[str]
    inProgress: list[str]
    succeeded: list[str]
    failed: list[str]
    rolledBack: int
    rollbackFailed: int
    batches: list[Document]
    batch: Document | None
    cancelRequested: bool
    error: Document | None
    deferral: bool  # a Platform rollout that waits for approval (osRollingUpgradeDeferral)
    approved: list[str]  # instances approved by `vmss approve-rolling-upgrade`

class Secrets(TypedDict):
    adminPassword: str | None
    protectedSettings: dict[str, Document]

class ScaleSetFile(TypedDict):
    """resourceGroups/<rg>/virtualMachineScaleSets/<name>.json."""
    schemaVersion: NotRequired[int]
    scaleSet: ScaleSet
    secrets: NotRequired[Secrets | None]
    instances: list[Instance]
    rollingUpgrades: list[Rollout]
    rolloutCount: NotRequired[int]
    modelVersion: int
    nextInstanceIndex: int
    events: NotRequired[list[Document]]  # a store from before the event log
    autoOSUpgrade: NotRequired[Document | None]  # the platform's pickup state (core.rollout.platform)

# ---- REST answers about rollouts (core.rollout.history) -------------------------------------------

class RollingUpgradeStatus(TypedDict, total=False):
    """RollingUpgradeStatusInfo: rollingUpgrades/latest."""
    location: str
    properties: Document
    tags: dict[str, str]
    type: str

class UpgradeHistoryEntry(TypedDict, total=False):
    """UpgradeOperationHistoricalStatusInfo: one item of osUpgradeHistory."""
    location: str
    properties: Document
    type: str

# ---- galleries (core.resources.gallery) -----------------------------------------------------------

class GalleryImage(TypedDict):
    """Microsoft.Compute/galleries/images: an image definition."""
    id: str
    name: str
    type: str
    location: str
    tags: dict[str, str]
    properties: Document  # identifier, osType, osState, hyperVGeneration, description

class GalleryImageVersion(TypedDict):
    """Microsoft.Compute/galleries/images/versions."""
    id: str
    name: str
    type: str
    location: str
    tags: dict[str, str]
    properties: Document  # publishingProfile, storageProfile, safetyProfile, provisioningState

class VersionRecord(TypedDict):
    """A version in the gallery file: the ARM resource, each region's replication state, and the
    emulator's fault profile (boot time, failing share) for instances built from it."""
    version: GalleryImageVersion
    regions: dict[str, Document]
    fault: dict[str, int]

class ImageEntry(TypedDict):
    image: GalleryImage
    versions: dict[str, VersionRecord]

class GalleryFile(TypedDict):
    """resourceGroups/<rg>/galleries/<name>.json: the gallery, its definitions (by lower-case name)
    and their versions."""
    schemaVersion: NotRequired[int]
    gallery: Document
    images: dict[str, ImageEntry]

# ---- the image catalog shipped in data/images.json (core.resources.catalog) -------------------------

class CatalogSku(TypedDict, total=False):
    """A marketplace SKU and its versions, as vmss ships them."""
    publisher: str
    offer: str
    sku: str
    osType: str
    architecture: str
    hyperVGeneration: str
    automaticOSUpgradeSupported: bool
    urnAlias: str | None
    locations: list[str]
    versions: list[str]

class ImageCatalog(TypedDict):
    aliases: Document
    images: list[CatalogSku]

# ---- deployments and the world -------------------------------------------------------------------

class DeploymentFile(TypedDict):
    """resourceGroups/<rg>/deployments/<name>.json: Microsoft.Resources/deployments, as GET returns it."""
    schemaVersion: NotRequired[int]
    deployment: Document
    resources: list[Document]  # what was deployed of the types vmss does not emulate (secure values left out)

class World(TypedDict):
    """world.json: the simulated clock, the seed and the event queue (core.world)."""
    schemaVersion: NotRequired[int]
    now: int
    startTime: int
    seed: int
    sequence: NotRequired[int]
    queue: NotRequired[list[Document]]
    subscription: NotRequired[str]  # `[sim] subscription` when the store was first written
