package kql

import "context"

func (db *Database) execute(ctx context.Context, query string, opts Options) ([]*Table, error) {
	return nil, &Error{Code: "InternalServiceError", Message: "not implemented yet"}
}
