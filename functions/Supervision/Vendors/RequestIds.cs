using System.Security.Cryptography;
using System.Text;

namespace Supervision.Vendors;

/// <summary>
/// Ids of the requests a workflow opens, derived from its instance id and what the request is for. Not
/// <c>context.NewGuid()</c>: that depends on the episode's start time, and when the engine loses a first checkpoint after
/// the activity's message went out (seen under load on Azurite), the re-run episode draws another id and a second
/// request and mail follow. A derived id makes the re-run open and mail the same request, which are idempotent.
/// </summary>
public static class RequestIds
{
    /// <param name="purpose">Unique within the instance across its generations, e.g. <c>contract.2</c> or <c>pledge.3.1</c>.</param>
    public static string Derive(string instanceId, string purpose) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{instanceId}|{purpose}")))[..32];
}
