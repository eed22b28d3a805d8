// Command gpx_kqlhunt is the backend of the KQL Anomaly Hunting datasource. Grafana starts it through
// go-plugin; everything it does lives in pkg/plugin and the capability packages beside it.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/membudget"
	"github.com/kqlhunt/anomaly-datasource/pkg/plugin"
)

func main() {
	budget, err := membudget.FromEnv(os.LookupEnv) // a bad value stops the plugin, in the admin's log
	if err == nil {
		membudget.SetSoftLimit(budget, os.LookupEnv)
		err = datasource.Manage(plugin.ID, plugin.NewFactory(plugin.Deps{Demo: demo.New(), ResultBudget: budget}), datasource.ManageOpts{})
	}
	if err != nil {
		log.DefaultLogger.Error("plugin exited", "error", err)
		os.Exit(1)
	}
}
