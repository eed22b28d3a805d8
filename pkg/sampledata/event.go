package sampledata

import "time"

// Event is one DeviceNetworkEvents row, field for field (see Schema). Nulls are marked without
// pointers: a negative RemotePort, a zero InitiatingProcessCreationTime and an empty
// AdditionalFields are null in the table.
type Event struct {
	TimeGenerated, Timestamp                                             time.Time
	DeviceId, DeviceName, ActionType                                     string
	LocalIP                                                              string
	LocalPort                                                            int64
	LocalIPType, RemoteIP                                                string
	RemotePort                                                           int64
	RemoteIPType, RemoteUrl, Protocol                                    string
	InitiatingProcessFileName, InitiatingProcessFolderPath               string
	InitiatingProcessCommandLine, InitiatingProcessParentFileName        string
	InitiatingProcessAccountName, InitiatingProcessAccountDomain         string
	InitiatingProcessSHA1, InitiatingProcessMD5, InitiatingProcessSHA256 string
	InitiatingProcessId, InitiatingProcessParentId                       int64
	InitiatingProcessCreationTime                                        time.Time
	InitiatingProcessIntegrityLevel, InitiatingProcessTokenElevation     string
	AdditionalFields                                                     string // JSON text
	ReportId                                                             int64
	TenantId, Type, SourceSystem                                         string
	// Planted is the intrusion this event belongs to (IntrusionTempDropper, ...), "" for the
	// fleet's normal traffic. It is not a column.
	Planted string
}

// row appends e's cells in Schema order to dst.
func (e *Event) row(dst []any) []any {
	var remotePort, creation, additional any
	if e.RemotePort >= 0 {
		remotePort = e.RemotePort
	}
	if !e.InitiatingProcessCreationTime.IsZero() {
		creation = e.InitiatingProcessCreationTime
	}
	if e.AdditionalFields != "" {
		additional = e.AdditionalFields
	}
	return append(dst,
		e.TimeGenerated, e.Timestamp, e.DeviceId, e.DeviceName, e.ActionType,
		e.LocalIP, e.LocalPort, e.LocalIPType, e.RemoteIP, remotePort, e.RemoteIPType, e.RemoteUrl, e.Protocol,
		e.InitiatingProcessFileName, e.InitiatingProcessFolderPath, e.InitiatingProcessCommandLine,
		e.InitiatingProcessParentFileName, e.InitiatingProcessAccountName, e.InitiatingProcessAccountDomain,
		e.InitiatingProcessSHA1, e.InitiatingProcessMD5, e.InitiatingProcessSHA256,
		e.InitiatingProcessId, e.InitiatingProcessParentId, creation,
		e.InitiatingProcessIntegrityLevel, e.InitiatingProcessTokenElevation, additional,
		e.ReportId, e.TenantId, e.Type, e.SourceSystem,
	)
}
