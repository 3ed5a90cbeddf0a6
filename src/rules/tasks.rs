//! The timetable (倒排工期) against the workspace's today: overdue and due within 7 days.

use super::assessment::TaskResult;
use crate::model::Workspace;
use crate::model::team::TaskStatus;

pub fn tasks(ws: &Workspace) -> Vec<TaskResult> {
    // A today that could not be read judges no deadline.
    let today = ws
        .config
        .as_ref()
        .filter(|c| !c.unread.iter().any(|f| f == "today"))
        .map(|c| c.today);
    ws.tasks
        .iter()
        .map(|t| {
            let open = t.status != TaskStatus::Done;
            let left = today.map(|d| t.due.days() - d.days());
            TaskResult {
                task: t.task.clone(),
                unit: t.unit.clone(),
                person: t.person.clone(),
                indicators: t.indicators.clone(),
                schools: t.schools.clone(),
                start: t.start,
                due: t.due,
                status: t.status,
                overdue: open && left.is_some_and(|l| l < 0),
                due_soon: open && left.is_some_and(|l| (0..=7).contains(&l)),
            }
        })
        .collect()
}
