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

/// <summary>
/// Opens the end-of-work return of one tier and everything below it (a suspended or revoked subcontractor, 3-2): each
/// tier that holds data certifies its return or erasure. The end-of-contract stage implements it, the hosts register it.
/// </summary>
public interface ITierReturns
{
    Task OpenAsync(string engagementId, string tierId, DurableTaskClient durable, CancellationToken cancellationToken);
}

/// <summary>
/// Stops the workflows of an engagement's duties (periodic reports, pledges, training) when its work ends: their
/// requests are withdrawn, and without this they would wait idle for ever. The composer implements it, knowing them all.
/// </summary>
public interface IDutyWorkflows
{
    /// <summary>Answers the instances it stopped.</summary>
    Task<IReadOnlyList<string>> StopAsync(string engagementId, DurableTaskClient durable, CancellationToken cancellationToken);
}
