"""Azure's public regions: the one table every location vmss takes is checked against.

The list is the one ARM gives in its `LocationNotAvailableForResourceGroup` error ("List of
available regions is '...'"), as az printed it for a public-cloud subscription on 2024-05-30
(MicrosoftDocs/executable-docs issue #74), in ARM's order. Regions that need an access request
(francesouth, germanynorth, norwaywest, switzerlandwest, uaecentral, ...) are not in it, as ARM
leaves them out. Only some regions carry images in the emulated catalog (core.catalog); a region
outside this table is refused at once, where ARM refuses it.
"""

from __future__ import annotations

from vmss_cli.errors import InvalidParameterError

PUBLIC_REGIONS = (
    "eastasia", "southeastasia", "australiaeast", "australiasoutheast", "brazilsouth", "canadacentral",
    "canadaeast", "switzerlandnorth", "germanywestcentral", "eastus2", "eastus", "centralus", "northcentralus",
    "francecentral", "uksouth", "ukwest", "centralindia", "southindia", "jioindiawest", "italynorth", "japaneast",
    "japanwest", "koreacentral", "koreasouth", "mexicocentral", "northeurope", "norwayeast", "polandcentral",
    "qatarcentral", "spaincentral", "swedencentral", "uaenorth", "westcentralus", "westeurope", "westus2", "westus",
    "southcentralus", "westus3", "southafricanorth", "australiacentral", "australiacentral2", "israelcentral",
    "westindia", "centraluseuap", "eastus2euap",
)


def normalize(location: str) -> str:
    """ARM accepts a region's display name too ('East US' -> 'eastus')."""
    return "".join(location.split()).lower()


def check_for_group(location: str) -> str:
    """The normalized region, or ARM's 400 for a resource group in a region it does not offer."""
    loc = normalize(location)
    if loc not in PUBLIC_REGIONS:
        raise InvalidParameterError(
            f"The provided location '{location}' is not available for resource group. List of available regions "
            f"is '{','.join(PUBLIC_REGIONS)}'.", code="LocationNotAvailableForResourceGroup")
    return loc


def check_for_type(location: str, resource_type: str) -> str:
    """The normalized region, or ARM's 400 for a resource of `resource_type` in an unknown region."""
    loc = normalize(location)
    if loc not in PUBLIC_REGIONS:
        raise InvalidParameterError(
            f"The provided location '{location}' is not available for resource type '{resource_type}'. List of "
            f"available regions for the resource type is '{','.join(PUBLIC_REGIONS)}'.",
            code="LocationNotAvailableForResourceType")
    return loc
