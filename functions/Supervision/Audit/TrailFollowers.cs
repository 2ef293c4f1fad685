namespace Supervision.Audit;

/// <summary>
/// Told after each entry appended to an engagement's trail: every change is on the trail, so what follows the trail
/// sees every change (the portfolio index does). Told in process, after the append; it must return at once and depend
/// on nothing that writes the trail.
/// </summary>
public interface ITrailFollower
{
    void Appended(string engagementId, long sequence);
}

/// <summary>What follows the trail and can fall behind it (a crash loses what it was told): the daily sweep asks it to catch up.</summary>
public interface ITrailCatchUp
{
    /// <summary>Catches up with the engagement's trail if it fell behind; answers whether it had.</summary>
    Task<bool> CatchUpAsync(string engagementId, CancellationToken cancellationToken);
}
