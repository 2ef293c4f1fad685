namespace Supervision.Domain.Engagements;

/// <summary>Where an engagement is in its life (DOMAIN "Lifecycle"). Later stages are added as their workflows land.</summary>
public enum EngagementStage
{
    /// <summary>Recorded from procurement's request; the workflow has not acted yet.</summary>
    Received,

    /// <summary>Due diligence has been asked of the contractor (1-4, 1-5).</summary>
    SelectionRequested,
}

public static class EngagementStages
{
    /// <summary>Stages only move forward; repeating the current stage is allowed so a retried step is harmless.</summary>
    public static bool CanMove(EngagementStage from, EngagementStage to) => to >= from;
}
