namespace Supervision.Storage;

/// <summary>The tables the product owns. Each query a page or API makes is a point read or one partition's range.</summary>
public static class TableNames
{
    /// <summary>One partition per engagement (PartitionKey = engagement id); its main row has RowKey <c>engagement</c>.</summary>
    public const string Engagements = "Engagements";

    /// <summary>The audit trail: one partition per engagement, a hash-chained entry per row plus a head row.</summary>
    public const string Audit = "Audit";

    /// <summary>Evidence metadata: one partition per engagement; the bytes are in Blob Storage.</summary>
    public const string Evidence = "Evidence";

    /// <summary>One row per mail idempotency key, inserted before the mail is sent.</summary>
    public const string MailLog = "MailLog";

    /// <summary>Signed vendor links and the requests they serve: one partition per engagement.</summary>
    public const string Links = "Links";

    /// <summary>
    /// Where the event relay looks: one partition (<c>pending</c>) of hints, each naming an engagement partition that may
    /// hold an event still owed to a workflow. Written before the change that owes it, so nothing is ever scanned.
    /// </summary>
    public const string Outbox = "Outbox";

    /// <summary>The portfolio index: a row per engagement, sorted by how overdue it is, kept by following the trail.</summary>
    public const string Portfolio = "Portfolio";

    public static IReadOnlyList<string> All { get; } = [Engagements, Audit, Evidence, MailLog, Links, Outbox, Portfolio];
}
