namespace Supervision.Storage;

/// <summary>The tables the product owns. Each query a page or API makes is a point read or one partition's range.</summary>
public static class TableNames
{
    /// <summary>One partition per engagement (PartitionKey = engagement id); its main row has RowKey <c>engagement</c>.</summary>
    public const string Engagements = "Engagements";

    public static IReadOnlyList<string> All { get; } = [Engagements];
}
