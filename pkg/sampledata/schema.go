package sampledata

import "github.com/kqlhunt/anomaly-datasource/pkg/kql"

// TableName is the generated table's name, as in Microsoft Sentinel.
const TableName = "DeviceNetworkEvents"

// Schema is DeviceNetworkEvents' columns and types, in the order of the real table's documented
// columns (Sentinel adds TenantId, Type and SourceSystem).
var Schema = []kql.ColumnSchema{
	{Name: "TimeGenerated", Type: kql.TypeDateTime},
	{Name: "Timestamp", Type: kql.TypeDateTime},
	{Name: "DeviceId", Type: kql.TypeString},
	{Name: "DeviceName", Type: kql.TypeString},
	{Name: "ActionType", Type: kql.TypeString},
	{Name: "LocalIP", Type: kql.TypeString},
	{Name: "LocalPort", Type: kql.TypeInt},
	{Name: "LocalIPType", Type: kql.TypeString},
	{Name: "RemoteIP", Type: kql.TypeString},
	{Name: "RemotePort", Type: kql.TypeInt},
	{Name: "RemoteIPType", Type: kql.TypeString},
	{Name: "RemoteUrl", Type: kql.TypeString},
	{Name: "Protocol", Type: kql.TypeString},
	{Name: "InitiatingProcessFileName", Type: kql.TypeString},
	{Name: "InitiatingProcessFolderPath", Type: kql.TypeString},
	{Name: "InitiatingProcessCommandLine", Type: kql.TypeString},
	{Name: "InitiatingProcessParentFileName", Type: kql.TypeString},
	{Name: "InitiatingProcessAccountName", Type: kql.TypeString},
	{Name: "InitiatingProcessAccountDomain", Type: kql.TypeString},
	{Name: "InitiatingProcessSHA1", Type: kql.TypeString},
	{Name: "InitiatingProcessMD5", Type: kql.TypeString},
	{Name: "InitiatingProcessSHA256", Type: kql.TypeString},
	{Name: "InitiatingProcessId", Type: kql.TypeLong},
	{Name: "InitiatingProcessParentId", Type: kql.TypeLong},
	{Name: "InitiatingProcessCreationTime", Type: kql.TypeDateTime},
	{Name: "InitiatingProcessIntegrityLevel", Type: kql.TypeString},
	{Name: "InitiatingProcessTokenElevation", Type: kql.TypeString},
	{Name: "AdditionalFields", Type: kql.TypeDynamic},
	{Name: "ReportId", Type: kql.TypeLong},
	{Name: "TenantId", Type: kql.TypeString},
	{Name: "Type", Type: kql.TypeString},
	{Name: "SourceSystem", Type: kql.TypeString},
}
