namespace Supervision.Domain.Vendors;

/// <summary>What a signed link lets a contractor do; a link for one purpose is refused for any other.</summary>
public enum LinkPurpose
{
    /// <summary>Answer a request's questions and upload its evidence.</summary>
    Respond,

    /// <summary>Acknowledge receipt (e.g. of a data handover, 2-4).</summary>
    Acknowledge,
}
