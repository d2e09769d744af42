"""Every change of a request, grant, work relationship or local administrator, published as an
EventBridge event from the table's stream (docs/applications.md)."""
