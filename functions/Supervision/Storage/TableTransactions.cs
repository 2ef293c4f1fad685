namespace Supervision.Storage;

/// <summary>Limits of an entity-group transaction.</summary>
public static class TableTransactions
{
    /// <summary>
    /// Azure Table Storage refuses a transaction of more operations; Azurite fails it with a response the SDK cannot
    /// parse (an <see cref="InvalidOperationException"/>, not a <c>TableTransactionFailedException</c>), so a caller
    /// that could exceed it splits its work instead of relying on the error.
    /// </summary>
    public const int MaxOperations = 100;
}
