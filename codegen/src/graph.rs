//! Graph helpers shared by resolve (recursion checks) and lower (boxing).

/// Tarjan's strongly connected components; returns the component index of every node.
pub fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    struct St<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        comp: Vec<usize>,
        next: usize,
        ncomp: usize,
    }
    // Iterative to survive deep graphs.
    fn strong(st: &mut St<'_>, root: usize) {
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((v, i)) = work.pop() {
            if i == 0 {
                st.index[v] = Some(st.next);
                st.low[v] = st.next;
                st.next += 1;
                st.stack.push(v);
                st.on[v] = true;
            }
            if i < st.edges[v].len() {
                let w = st.edges[v][i];
                work.push((v, i + 1));
                match st.index[w] {
                    None => work.push((w, 0)),
                    Some(wi) if st.on[w] => st.low[v] = st.low[v].min(wi),
                    Some(_) => {}
                }
                continue;
            }
            // All edges of v done: propagate low-link to the parent.
            if st.low[v] == st.index[v].expect("visited") {
                loop {
                    let w = st.stack.pop().expect("stack holds v");
                    st.on[w] = false;
                    st.comp[w] = st.ncomp;
                    if w == v {
                        break;
                    }
                }
                st.ncomp += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                st.low[parent] = st.low[parent].min(st.low[v]);
            }
        }
    }
    let n = edges.len();
    let mut st = St {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        comp: vec![0; n],
        next: 0,
        ncomp: 0,
    };
    for v in 0..n {
        if st.index[v].is_none() {
            strong(&mut st, v);
        }
    }
    st.comp
}

#[cfg(test)]
mod tests {
    #[test]
    fn tarjan_finds_cycles() {
        let comp = super::tarjan(&[vec![1], vec![0], vec![2], vec![]]);
        assert_eq!(comp[0], comp[1]);
        assert_ne!(comp[2], comp[3]);
        assert_ne!(comp[0], comp[3]);
    }
}
