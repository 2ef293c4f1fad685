namespace Supervision.Engagements;

/// <summary>How the selection stage chases the contractor (<c>Supervision:Selection</c>). Tests compress these to seconds.</summary>
public sealed class SelectionOptions
{
    public const string Section = "Supervision:Selection";

    /// <summary>How long the contractor has to answer the questionnaire.</summary>
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The first reminder goes at the due time, each further one this long after the previous.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromDays(3);

    /// <summary>After this many reminders the overdue questionnaire is escalated to the supervisors, once.</summary>
    public int MaxReminders { get; set; } = 3;

    /// <summary>Where escalations are mailed; empty records them in the audit trail only.</summary>
    public string SupervisorEmail { get; set; } = string.Empty;

    /// <summary>The principal's name as the contractor's mail shows it.</summary>
    public string PrincipalName { get; set; } = "東日本テレコム株式会社";
}
