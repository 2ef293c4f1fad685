using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Supervision.Storage;

/// <summary>The table idioms every store uses: a point read that may find nothing, insert-or-read-back, a conditional update, a prefix range.</summary>
public static class TableClientExtensions
{
    public static async Task<T?> GetOrNullAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        NullableResponse<T> response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Inserts the entity unless a row with its keys exists (a conditional insert: never an overwrite); returns the row
    /// that is stored either way, and whether this call created it.
    /// </summary>
    public static async Task<(T Entity, bool Created)> AddOrGetAsync<T>(this TableClient table, T entity, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(entity);
        try
        {
            Response response = await table.AddEntityAsync(entity, cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
            return (entity, true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            T existing = await table.GetOrNullAsync<T>(entity.PartitionKey, entity.RowKey, cancellationToken)
                ?? throw new InvalidOperationException($"A row conflicted on insert into {table.Name} but cannot be read.", e);
            return (existing, false);
        }
    }

    /// <summary>
    /// The rows of one partition whose key starts with <paramref name="prefix"/>: a range query, never a scan. The range's
    /// upper bound is the prefix with its last character moved one on, so <c>[prefix, upper)</c> is exactly those rows.
    /// <paramref name="where"/>, an OData filter, narrows the range further on the service.
    /// </summary>
    public static async Task<List<T>> ListByPrefixAsync<T>(this TableClient table, string partitionKey, string prefix, CancellationToken cancellationToken, string? where = null)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        string range = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {Upper(prefix)}");
        string filter = where is null ? range : $"{range} and ({where})";
        var rows = new List<T>();
        await foreach (T row in table.QueryAsync<T>(filter, cancellationToken: cancellationToken))
            rows.Add(row);
        return rows;
    }

    /// <summary>
    /// The rows of one partition under each of <paramref name="prefixes"/>, in one query: their ranges or-ed in one filter.
    /// The table service takes at most 15 comparisons in a filter, the partition's and two a range: so at most
    /// <see cref="PartitionRows.MaxPrefixes"/> prefixes.
    /// </summary>
    public static async Task<PartitionRows> ListByPrefixesAsync(this TableClient table, string partitionKey, IReadOnlyList<string> prefixes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(prefixes);
        if (prefixes.Count is 0 or > PartitionRows.MaxPrefixes)
            throw new ArgumentException($"One query reads 1 to {PartitionRows.MaxPrefixes} prefixes.", nameof(prefixes));
        string ranges = string.Join(" or ", prefixes.Select(prefix => TableClient.CreateQueryFilter($"(RowKey ge {prefix} and RowKey lt {Upper(prefix)})")));
        string filter = $"{TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")} and ({ranges})";
        var rows = new List<TableEntity>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            rows.Add(row);
        return new PartitionRows(rows);
    }

    /// <summary>The prefix with its last character moved one on: <c>[prefix, upper)</c> holds exactly the keys that start with it.</summary>
    private static string Upper(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return prefix[..^1] + (char)(prefix[^1] + 1);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the row conditional on its ETag, reading again after a concurrent write, so
    /// no writer is ever overwritten. <paramref name="change"/> answers false to leave the row as it is (e.g. the change
    /// was already made). Answers the row as stored, or null when there is none.
    /// </summary>
    public static async Task<T?> UpdateAsync<T>(this TableClient table, string partitionKey, string rowKey, Func<T, bool> change, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            T? row = await table.GetOrNullAsync<T>(partitionKey, rowKey, cancellationToken);
            if (row is null || !change(row))
                return row;
            try
            {
                Response response = await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                row.ETag = response.Headers.ETag ?? row.ETag;
                return row;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Someone else changed the row since we read it: read again and re-decide.
            }
        }
    }

    /// <summary>
    /// A row read as a <see cref="TableEntity"/> (one of several kinds a range read returns) as the typed record it is:
    /// its properties matched by name, as the SDK's own reads match them, and its ETag kept for a conditional write.
    /// </summary>
    public static T As<T>(this TableEntity row)
        where T : class, ITableEntity, new()
    {
        ArgumentNullException.ThrowIfNull(row);
        T record = JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes<IDictionary<string, object>>(row)) ?? new T();
        record.PartitionKey = row.PartitionKey;
        record.RowKey = row.RowKey;
        record.Timestamp = row.Timestamp;
        record.ETag = row.ETag;
        return record;
    }
}

/// <summary>Rows of one partition read at once (<see cref="TableClientExtensions.ListByPrefixesAsync"/>), each read as the record its key says it is.</summary>
public sealed class PartitionRows(IReadOnlyList<TableEntity> rows)
{
    public const int MaxPrefixes = 7;

    /// <summary>The rows whose key starts with <paramref name="prefix"/>, as <typeparamref name="T"/>, in key order.</summary>
    public IReadOnlyList<T> Of<T>(string prefix)
        where T : class, ITableEntity, new() =>
        [.. rows.Where(row => row.RowKey.StartsWith(prefix, StringComparison.Ordinal)).Select(row => row.As<T>())];

    /// <summary>The row of <paramref name="rowKey"/>, as <typeparamref name="T"/>, or null.</summary>
    public T? Row<T>(string rowKey)
        where T : class, ITableEntity, new() =>
        Entity(rowKey)?.As<T>();

    /// <summary>The row of <paramref name="rowKey"/> as it was read, or null.</summary>
    public TableEntity? Entity(string rowKey) => rows.FirstOrDefault(row => row.RowKey == rowKey);
}
