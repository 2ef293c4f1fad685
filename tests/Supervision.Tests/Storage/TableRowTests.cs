using Azure;
using Azure.Data.Tables;
using Supervision.Kernel;
using Supervision.Reports;
using Supervision.Storage;

namespace Supervision.Tests.Storage;

/// <summary>A row a range read returns as a <see cref="TableEntity"/> reads as its typed record, as the SDK's typed reads do.</summary>
public sealed class TableRowTests
{
    [Fact]
    public void ARow_ReadsAsItsRecord_WithItsKeysETagAndEveryKindOfProperty()
    {
        var created = new DateTimeOffset(2026, 12, 3, 5, 6, 7, 891, TimeSpan.Zero);
        var row = new TableEntity("e1", EngagementRecord.MainRowKey)
        {
            [nameof(EngagementRecord.ContractorName)] = "株式会社サンプル印刷",
            [nameof(EngagementRecord.CreatedAt)] = created,
            [nameof(EngagementRecord.DueDiligenceDueAt)] = created.AddDays(14),
            [nameof(EngagementRecord.SupervisorAssignments)] = 3,
            ["NotAProperty"] = "ignored",
            ETag = new ETag("W/\"datetime'2026'\""),
        };

        EngagementRecord record = row.As<EngagementRecord>();

        Assert.Equal(("e1", EngagementRecord.MainRowKey), (record.PartitionKey, record.RowKey));
        Assert.Equal(new ETag("W/\"datetime'2026'\""), record.ETag);
        Assert.Equal("株式会社サンプル印刷", record.ContractorName);
        Assert.Equal(created, record.CreatedAt);
        Assert.Equal(created.AddDays(14), record.DueDiligenceDueAt);
        Assert.Equal(3, record.SupervisorAssignments);
        Assert.Null(record.Decision);
    }

    [Fact]
    public void ARowWithoutAProperty_LeavesItsDefault()
    {
        ReportRecord report = new TableEntity("e1", ReportRecord.Key(2)) { [nameof(ReportRecord.Number)] = 2 }.As<ReportRecord>();

        Assert.Equal(2, report.Number);
        Assert.Null(report.SubmittedAt);
    }
}
