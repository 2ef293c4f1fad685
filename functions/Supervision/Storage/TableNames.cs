namespace Supervision.Storage;

/// <summary>The tables the product owns. Each query a page or API makes is a point read or one partition's range.</summary>
public static class TableNames
{
    /// <summary>
    /// One partition per engagement (PartitionKey = engagement id) holding all its own records, told apart by row-key
    /// prefixes: its main row (<c>engagement</c>), its trail and the trail's head, requests and links, evidence metadata (the
    /// bytes are in Blob Storage), mail log, reports, ledger, tiers, incidents, closing records and the events it owes
    /// (docs/decisions/0002).
    /// </summary>
    public const string Engagements = "Engagements";

    /// <summary>
    /// Where the event relay looks: one partition (<c>pending</c>) of hints, each naming an engagement partition that may
    /// hold an event still owed to a workflow. Written before the change that owes it, so nothing is ever scanned.
    /// </summary>
    public const string Outbox = "Outbox";

    /// <summary>The portfolio index: a row per engagement, sorted by how overdue it is, kept by following the trail.</summary>
    public const string Portfolio = "Portfolio";

    /// <summary>Every engagement, a row each in one partition, written before its first commit: what the daily sweep walks.</summary>
    public const string Registry = "Registry";

    public static IReadOnlyList<string> All { get; } = [Engagements, Outbox, Portfolio, Registry];
}
