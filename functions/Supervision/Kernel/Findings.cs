using Microsoft.DurableTask.Client;

namespace Supervision.Kernel;

/// <summary>
/// A finding raised by a stage other than an inspection (a late incident notice, 6-3): opened as a corrective action on
/// the engagement and chased like one. <paramref name="SourceId"/> makes raising it again change nothing.
/// </summary>
public sealed record RaisedFinding(string EngagementId, string SourceId, string Scope, string Description, string RaisedBy);

/// <summary>Opens a <see cref="RaisedFinding"/> as a corrective action; the inspections stage implements it, the hosts register it.</summary>
public interface IFindingRaiser
{
    /// <summary>Answers the corrective action's id.</summary>
    Task<string> RaiseAsync(RaisedFinding finding, DurableTaskClient durable, CancellationToken cancellationToken);
}
