namespace Supervision.Domain.Engagements;

/// <summary>Where an engagement is in its life (DOMAIN "Lifecycle"). Later stages are added as their workflows land.</summary>
public enum EngagementStage
{
    /// <summary>Recorded from procurement's request; the workflow has not acted yet.</summary>
    Received,

    /// <summary>Due diligence has been asked of the contractor (1-4, 1-5).</summary>
    SelectionRequested,

    /// <summary>The contractor has answered; the score and risk tier wait for a supervisor's decision (1-4).</summary>
    UnderReview,

    /// <summary>A supervisor rejected the contractor with a written reason: the engagement ends here.</summary>
    Rejected,

    /// <summary>A supervisor selected the contractor; the contract is to be drawn up (2-1).</summary>
    ContractRequested,

    /// <summary>The contract is complete (clauses, terms, agreed split, signed copy): data may be handed over and the work is supervised.</summary>
    Active,

    /// <summary>The work has ended (its planned end, or a supervisor's termination): every tier returns or erases what it holds (2-4, 7-2).</summary>
    Closing,

    /// <summary>Every tier certified, nothing is out, a supervisor closed it: its links are dead, its records kept read-only.</summary>
    Closed,
}

public static class EngagementStages
{
    /// <summary>Stages only move forward; repeating the current stage is allowed so a retried step is harmless.</summary>
    public static bool CanMove(EngagementStage from, EngagementStage to) => to >= from;
}
